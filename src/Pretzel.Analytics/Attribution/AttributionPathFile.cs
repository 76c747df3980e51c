using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using Pretzel.Analytics.Paths;

namespace Pretzel.Analytics.Attribution;

/// <summary>A row of a path table file that was not used, with its line (1 is the header) and why.</summary>
public sealed record PathFileError(long Line, string Message)
{
    public override string ToString() => $"line {Line.ToString(CultureInfo.InvariantCulture)}: {Message}";
}

/// <summary>
/// What a path table file held: the good rows as a table, the bad ones as errors (the first
/// <see cref="AttributionPathFile.ErrorsKept"/>; <see cref="Rejected"/> counts them all), the detected field separator and
/// which optional columns were there.
/// </summary>
public sealed record PathFileResult(AttributionTable Table, IReadOnlyList<PathFileError> Errors, long Rejected, char Separator, bool HasValue, bool HasNulls)
{
    /// <summary>Rows used.</summary>
    public int Accepted => Table.Count;
}

/// <summary>
/// Reads a path table in ChannelAttribution's format: a header naming <c>path</c> and <c>total_conversions</c>, and
/// optionally <c>total_conversion_value</c> and <c>total_null</c> (other columns are ignored), with the field separator
/// (<c>;</c>, <c>,</c> or tab) detected from the header line. Touches are separated by <c>&gt;</c> (or the separator
/// given) with surrounding spaces trimmed; a path <c>(no touch)</c> has no touches. Fields may be quoted (RFC 4180).
/// A row that cannot be used (a missing field, an empty path or touch, a count that is not a whole non-negative number, a
/// value that is not a non-negative number) is reported with its line and left out; the good rows are all kept. Blank
/// lines are skipped. A file without a usable header is an error (<see cref="PathException"/>).
/// <para>
/// The reader works on UTF-8 bytes: records are found with vectorised searches, touch names are interned once per
/// distinct name (a small open-addressing table over the bytes), so a million-row file becomes the table's flat arrays
/// without a string per touch.
/// </para>
/// </summary>
public static partial class AttributionPathFile
{
    /// <summary>At most this many errors are kept with their messages; all are counted.</summary>
    public const int ErrorsKept = 1000;

    /// <summary>The header's required columns.</summary>
    public static IReadOnlyList<string> Required { get; } = ["path", "total_conversions"];

    /// <summary>The header's optional columns.</summary>
    public static IReadOnlyList<string> Optional { get; } = ["total_conversion_value", "total_null"];

    /// <summary>Reads the file at <paramref name="path"/>; see <see cref="Read(Stream, string, string)"/>.</summary>
    public static PathFileResult Read(string path, string pathSeparator = ">")
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return Read(stream, path, pathSeparator);
    }

    /// <summary>
    /// Reads a path table from <paramref name="stream"/> (UTF-8); <paramref name="source"/> names it in errors.
    /// Throws <see cref="PathException"/> when there is no header naming the required columns.
    /// </summary>
    public static PathFileResult Read(Stream stream, string source, string pathSeparator = ">") => Read(stream, source, pathSeparator, 1 << 20);

    /// <summary>As <see cref="Read(Stream, string, string)"/>, parsing blocks of about <paramref name="blockSize"/> bytes in parallel.</summary>
    internal static PathFileResult Read(Stream stream, string source, string pathSeparator, int blockSize)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        ArgumentNullException.ThrowIfNull(pathSeparator);
        if (pathSeparator.Trim().Length == 0)
        {
            throw new PathException($"--path-sep '{pathSeparator}': the touch separator cannot be empty or blank");
        }

        var reader = new RecordReader(stream);
        if (!reader.Next(out var headerStart, out var headerLength, out _))
        {
            throw new PathException($"{source}: the file is empty; expected a header with {string.Join(", ", Required)}");
        }

        var header = Encoding.UTF8.GetString(reader.Bytes(headerStart, headerLength)).TrimStart('\uFEFF');
        var (separator, names) = DetectSeparator(header)
            ?? throw new PathException(
                $"{source}, line 1: expected a header naming {string.Join(" and ", Required)} (optionally {string.Join(" and ", Optional)}), separated by ';', ',' or tab; got '{Shorten(header)}'");
        var columns = new[] { "path", "total_conversions", "total_conversion_value", "total_null" }.Select(c => names.IndexOf(c)).ToArray();
        var touchSeparator = Encoding.UTF8.GetBytes(pathSeparator.Trim());

        // The rows after the header go in blocks of whole records to parsers on the thread pool, at most a few blocks
        // ahead of them. Each block writes straight into its own stretch of the table's arrays, sized from the block's
        // line breaks and touch separators (bounds that are exact for a clean file); stretches left partly empty by bad
        // rows or blank lines are closed up at the end.
        var splitter = new BlockSplitter(stream, reader.Pending, reader.Line, blockSize);
        var output = new TableWriter(EstimateRows(stream, reader.Pending, touchSeparator));
        var parts = new List<RowParser>();
        var running = new List<Task>();
        using (var gate = new SemaphoreSlim(2 * Math.Max(1, Environment.ProcessorCount)))
        {
            try
            {
                while (splitter.Next(out var block, out var length, out var line))
                {
                    var rows = block.AsSpan(0, length).Count((byte)'\n') + (length > 0 && block[length - 1] != (byte)'\n' ? 1 : 0);
                    var touches = (long)block.AsSpan(0, length).Count(touchSeparator) + rows;
                    if (!output.Fits(rows, touches))
                    {
                        // Rarely (a poor estimate): wait for the running blocks, then make the arrays larger.
                        Task.WaitAll([.. running]);
                        running.Clear();
                        output.Grow(rows, touches);
                    }

                    var parser = new RowParser(source, (byte)separator, touchSeparator, columns, output, rows, (int)touches);
                    parts.Add(parser);
                    gate.Wait();
                    var (data, size, first) = (block, length, line);
                    running.Add(Task.Run(() =>
                    {
                        try
                        {
                            parser.Block(data, size, first);
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(data);
                            gate.Release();
                        }
                    }));
                    running.RemoveAll(t => t.IsCompletedSuccessfully);
                }
            }
            finally
            {
                // Never leave a parser running (and releasing the gate) after this returns or throws.
                try
                {
                    Task.WaitAll([.. running]);
                }
                catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
                {
                    ExceptionDispatchInfo.Throw(ex.InnerExceptions[0]);
                }
            }
        }

        var table = output.Table(parts, columns[2] >= 0);
        var errors = parts.SelectMany(p => p.Errors).Take(ErrorsKept).ToList();
        return new PathFileResult(table, errors, parts.Sum(p => p.Rejected), separator, columns[2] >= 0, columns[3] >= 0);
    }

    /// <summary>Rows and touches to make room for at first: the first block's line breaks and separators per byte, times the rest of the file.</summary>
    private static (long Rows, long Touches) EstimateRows(Stream stream, ReadOnlySpan<byte> sample, byte[] touchSeparator)
    {
        var rows = sample.Count((byte)'\n') + 1L;
        var touches = sample.Count(touchSeparator) + rows;
        var scale = stream.CanSeek && sample.Length > 0 ? 1.02 * (stream.Length - stream.Position + sample.Length) / sample.Length : 1;
        return ((long)(rows * scale) + 64, (long)(touches * scale) + 256);
    }

    private static (char Separator, List<string> Names)? DetectSeparator(string header)
    {
        foreach (var separator in (char[])[';', ',', '\t'])
        {
            var names = header.Split(separator).Select(n => n.Trim().Trim('"').Trim().ToLowerInvariant()).ToList();
            if (Required.All(names.Contains))
            {
                return (separator, names);
            }
        }

        return null;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
