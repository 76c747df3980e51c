using System.CommandLine;
using Pretzel.Cli.Output;
using Pretzel.Ingest.Import;
using Pretzel.Storage.DuckDb;

namespace Pretzel.Cli.Commands;

/// <summary><c>pretzel import FILE…</c>: load CSV, JSON lines or Parquet files of events.</summary>
internal static class ImportCommand
{
    private const int ErrorsShown = 20;

    internal static Command Create()
    {
        var files = new Argument<string[]>("file") { Description = "CSV/TSV, JSON lines (.jsonl/.ndjson) or Parquet files", Arity = ArgumentArity.OneOrMore };
        var map = new Option<string[]>("--map")
        {
            Description = "Input column to event field, e.g. --map CustomerID=user_id,InvoiceDate=timestamp (properties.NAME for a property, - to drop)",
            HelpName = "COL=FIELD,...",
        };
        var inputFormat = new Option<string>("--input-format") { Description = "auto (from the extension), csv, jsonl or parquet", DefaultValueFactory = _ => "auto", HelpName = "auto|csv|jsonl|parquet" };
        inputFormat.AcceptOnlyFromAmong("auto", "csv", "jsonl", "parquet");
        var delimiter = new Option<string?>("--delimiter") { Description = "CSV delimiter (default: detected from the header); 'tab' for a tab", HelpName = "CHAR" };
        var encoding = new Option<string>("--encoding") { Description = "utf-8 (default), latin1 or utf-16", DefaultValueFactory = _ => "utf-8", HelpName = "NAME" };
        var select = new Option<string?>("--select")
        {
            Description = "Map the files through SQL first: a select list over the table `input` (the files' columns, _file, _line), e.g. \"'purchase' AS event, InvoiceDate AS timestamp, CustomerID AS user_id, Quantity * UnitPrice AS revenue\", or a whole SELECT … FROM input query",
            HelpName = "SQL",
        };
        var where = new Option<string?>("--where") { Description = "With a --select list: keep the input rows matching this SQL condition", HelpName = "SQL" };
        var rejects = new Option<string?>("--rejects") { Description = "Where to write rejected rows (default: FILE.rejects.csv beside each input)", HelpName = "PATH" };
        var command = new Command("import", "Import events from files; bad rows are reported with line, column and reason and the good ones kept; re-importing a file adds nothing")
        {
            files, map, inputFormat, delimiter, encoding, rejects, select, where,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var paths = ExpandGlobs(parse.GetValue(files)!);
            var selectSql = parse.GetValue(select);
            if (selectSql is null && parse.GetValue(where) is not null)
            {
                throw CliException.Usage("--where filters the rows of a --select list; give --select too");
            }

            var options = new ImportOptions
            {
                ColumnMap = ParseMap(parse.GetValue(map) ?? []),
                Delimiter = ParseDelimiter(parse.GetValue(delimiter)),
                Encoding = parse.GetValue(encoding)!,
                RejectsPath = paths.Length == 1 || selectSql is not null ? parse.GetValue(rejects) : null,
            };
            if (paths.Length > 1 && selectSql is null && parse.GetValue(rejects) is not null)
            {
                throw CliException.Usage("--rejects takes one file; with several inputs each gets FILE.rejects.csv beside it");
            }

            foreach (var p in paths)
            {
                if (!File.Exists(p))
                {
                    throw CliException.Usage(Directory.Exists(p) ? $"{p} is a folder; pass the files in it (e.g. {p}/*.csv)" : $"{p}: no such file");
                }
            }

            var settings = CommonOptions.LoadProject(parse.GetValue(CommonOptions.Project));
            var format = parse.GetValue(inputFormat)!;
            using var store = StoreSelection.Open(parse, readOnly: false);
            var importer = new EventImporter(store, settings, TimeProvider.System);
            var rows = new List<object?[]>();
            var failed = false;
            IEnumerable<Func<Task<ImportReport>>> jobs = selectSql is null
                ? paths.Select(path => (Func<Task<ImportReport>>)(() => ImportOne(importer, path, format, options, cancellationToken)))
                : [() => ImportSelected(importer, paths, format, selectSql, parse.GetValue(where), options, cancellationToken)];
            foreach (var job in jobs)
            {
                var report = await job().ConfigureAwait(false);
                rows.Add(
                [
                    report.Input, report.Rows, report.Written, report.Duplicates, report.Rejected, report.RejectsFile,
                    Math.Round(report.Elapsed.TotalSeconds, 3),
                    report.Elapsed.TotalSeconds > 0 ? Math.Round(report.Rows / report.Elapsed.TotalSeconds) : null,
                ]);
                ReportErrors(report);
                // Nothing usable: every row rejected, or reading stopped before the first row.
                failed |= (report.Rows > 0 && report.Rejected == report.Rows) || (report.Rows == 0 && report.Stopped is not null);
            }

            string[] columns = ["file", "rows", "written", "duplicates", "rejected", "rejects_file", "seconds", "rows_per_second"];
            RowWriter.Write(Console.Out, CommonOptions.ResolveFormat(parse.GetValue(CommonOptions.Format)), columns, rows);
            return failed ? CliException.RuntimeError : 0;
        });
        return command;
    }

    private static async Task<ImportReport> ImportOne(EventImporter importer, string path, string format, ImportOptions options, CancellationToken cancellationToken)
    {
        var isParquet = format == "parquet" || (format == "auto" && path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase));
        if (isParquet)
        {
            using var csv = ParquetInput.ToCsv(path);
            var report = await Run(importer, csv.Path, options with
            {
                Format = ImportFormat.Csv,
                Delimiter = ',',
                RejectsPath = options.RejectsPath ?? EventImporter.DefaultRejectsPath(path),
            }, path, cancellationToken).ConfigureAwait(false);
            return report with { Input = path };
        }

        return await Run(importer, path, options with
        {
            Format = format switch { "csv" => ImportFormat.Csv, "jsonl" => ImportFormat.JsonLines, _ => ImportFormat.Auto },
        }, path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>--select</c>: every file through one SQL query (<see cref="SelectInput"/>), then imported as one CSV. Errors
    /// name each row's file and line when the result carries them; rejects go to <c>import-select.rejects.csv</c> in the
    /// working folder (the rows of many files, often in a shared folder, are not one file's rejects).
    /// </summary>
    private static async Task<ImportReport> ImportSelected(EventImporter importer, string[] paths, string format, string select, string? where, ImportOptions options, CancellationToken cancellationToken)
    {
        var kind = format == "auto" ? FormatOf(paths[0]) : format;
        if (format == "auto" && paths.FirstOrDefault(p => FormatOf(p) != kind) is { } other)
        {
            throw CliException.Usage($"--select reads files of one format: {paths[0]} is {kind}, {other} is {FormatOf(other)}");
        }

        var label = paths.Length == 1 ? paths[0] : $"{paths[0]} and {paths.Length - 1} more";
        SelectInput selected;
        try
        {
            selected = await Task.Run(() => SelectInput.ToCsv(paths, kind, select, where), cancellationToken).ConfigureAwait(false);
        }
        catch (Pretzel.Core.Storage.StoreException ex)
        {
            throw new CliException(ex.Message);
        }

        using (selected)
        {
            var report = await Run(importer, selected.Path, options with
            {
                Format = ImportFormat.Csv,
                Delimiter = ',',
                OriginColumn = selected.HasOrigin ? SelectInput.OriginColumn : null,
                RejectsPath = options.RejectsPath ?? "import-select.rejects.csv",
            }, label, cancellationToken).ConfigureAwait(false);
            return report with { Input = label };
        }
    }

    private static string FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".parquet" => "parquet",
        ".jsonl" or ".ndjson" or ".json" => "jsonl",
        _ => "csv",
    };

    /// <summary>
    /// Arguments with <c>*</c> or <c>?</c> in their file name that name no file are patterns (for shells that pass
    /// them on, and quoted patterns): each becomes the matching files of its folder, in name order.
    /// </summary>
    internal static string[] ExpandGlobs(IEnumerable<string> arguments)
    {
        var result = new List<string>();
        foreach (var argument in arguments)
        {
            var name = Path.GetFileName(argument);
            if (File.Exists(argument) || name.AsSpan().IndexOfAny('*', '?') < 0)
            {
                result.Add(argument);
                continue;
            }

            var folder = Path.GetDirectoryName(argument);
            var directory = string.IsNullOrEmpty(folder) ? "." : folder;
            var matches = Directory.Exists(directory)
                ? Directory.GetFiles(directory, name).Select(f => string.IsNullOrEmpty(folder) ? Path.GetFileName(f) : f).Order(StringComparer.Ordinal).ToList()
                : [];
            if (matches.Count == 0)
            {
                throw CliException.Usage($"{argument}: no file matches");
            }

            result.AddRange(matches);
        }

        return [.. result];
    }

    private static Task<ImportReport> Run(EventImporter importer, string path, ImportOptions options, string label, CancellationToken cancellationToken)
    {
        var size = new FileInfo(path).Length;
        return ProgressDisplay.RunAsync($"Importing {Path.GetFileName(label)}", Math.Max(size, 1), async progress =>
        {
            try
            {
                return await importer.ImportFileAsync(path, options, new Progress<ImportProgress>(p => progress.Report(p.BytesRead)), cancellationToken).ConfigureAwait(false);
            }
            catch (ImportException ex)
            {
                throw new CliException(ex.Message);
            }
        });
    }

    private static void ReportErrors(ImportReport report)
    {
        foreach (var e in report.Errors.Take(ErrorsShown))
        {
            Console.Error.WriteLine($"{report.Input}: {e}{(e.Value is null ? "" : $" (value: {e.Value})")}");
        }

        if (report.Rejected > ErrorsShown)
        {
            Console.Error.WriteLine($"{report.Input}: … and {report.Rejected - ErrorsShown:N0} more rejected rows");
        }

        if (report.RejectsFile is not null)
        {
            Console.Error.WriteLine($"{report.Input}: {report.Rejected:N0} rejected rows written to {report.RejectsFile}; {report.Written:N0} events stored, {report.Duplicates:N0} already there");
        }

        if (report.Stopped is not null)
        {
            Console.Error.WriteLine($"{report.Input}: {report.Stopped}");
        }
    }

    internal static Dictionary<string, string> ParseMap(IEnumerable<string> values)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            foreach (var pair in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || eq == pair.Length - 1)
                {
                    throw CliException.Usage($"--map {pair}: expected COLUMN=FIELD, e.g. CustomerID=user_id");
                }

                var column = pair[..eq].Trim();
                if (!map.TryAdd(column, pair[(eq + 1)..].Trim()))
                {
                    throw CliException.Usage($"--map: column '{column}' is mapped twice");
                }
            }
        }

        return map;
    }

    private static char? ParseDelimiter(string? value) => value switch
    {
        null => null,
        "tab" or "\\t" or "\t" => '\t',
        { Length: 1 } => value[0],
        _ => throw CliException.Usage($"--delimiter {value}: expected one character (or 'tab')"),
    };
}
