namespace Pretzel.Ingest.Import;

/// <summary>
/// Decides, from a header (or JSON keys) and the user's <c>--map</c>, where each input column goes,
/// and checks up front that the input can yield events at all (a timestamp and an identity column).
/// </summary>
internal static class ColumnBinding
{
    /// <summary>Validates a <c>--map</c> and returns the parsed targets keyed by input column.</summary>
    internal static Dictionary<string, ColumnTarget> ParseMap(IReadOnlyDictionary<string, string> map)
    {
        var result = new Dictionary<string, ColumnTarget>(StringComparer.Ordinal);
        foreach (var (column, target) in map)
        {
            var t = target.Trim();
            if (t == "-")
            {
                result[column] = ColumnTarget.Drop;
            }
            else if (t.StartsWith("properties.", StringComparison.Ordinal) && t.Length > "properties.".Length)
            {
                result[column] = new ColumnTarget(null, t["properties.".Length..]);
            }
            else if (EventFields.TryParseCanonical(t, out var field))
            {
                result[column] = new ColumnTarget(field, null);
            }
            else
            {
                throw new ImportException($"--map {column}={target}: '{target}' is not an event field; use one of {EventFields.AllNames}, properties.NAME, or - to drop the column");
            }
        }

        return result;
    }

    /// <summary>Targets for each header column; throws when the header cannot yield events.</summary>
    internal static ColumnTarget[] Bind(IReadOnlyList<string> header, IReadOnlyDictionary<string, string> map, string input, out string?[] fieldColumns)
    {
        var parsedMap = ParseMap(map);
        foreach (var column in parsedMap.Keys)
        {
            if (!header.Contains(column, StringComparer.Ordinal))
            {
                throw new ImportException($"--map names column '{column}', but {input} has no such column (columns: {string.Join(", ", header)})");
            }
        }

        var targets = new ColumnTarget[header.Count];
        fieldColumns = new string?[EventFields.Count];
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i];
            if (parsedMap.TryGetValue(name, out var mapped))
            {
                targets[i] = mapped;
            }
            else if (EventFields.TryMatch(name, out var field) && !parsedMap.Values.Any(t => t.Field == field))
            {
                targets[i] = new ColumnTarget(field, null);
            }
            else if (string.IsNullOrWhiteSpace(name))
            {
                targets[i] = ColumnTarget.Drop;
            }
            else
            {
                targets[i] = new ColumnTarget(null, name.Trim());
            }

            if (targets[i].Field is { } f)
            {
                if (fieldColumns[(int)f] is { } other)
                {
                    throw new ImportException($"{input}: columns '{other}' and '{name}' both feed {EventFields.Name(f)}; drop one with --map '{name}=-'");
                }

                fieldColumns[(int)f] = name;
            }
        }

        RequireFields(fieldColumns, input, header);
        return targets;
    }

    internal static void RequireFields(string?[] fieldColumns, string input, IReadOnlyList<string> header)
    {
        if (fieldColumns[(int)EventField.Timestamp] is null)
        {
            throw new ImportException($"{input} has no timestamp column (columns: {string.Join(", ", header)}); name one with --map YOUR_COLUMN=timestamp");
        }

        if (fieldColumns[(int)EventField.AnonymousId] is null && fieldColumns[(int)EventField.UserId] is null)
        {
            throw new ImportException($"{input} has neither a user_id nor an anonymous_id column (columns: {string.Join(", ", header)}); name one with --map YOUR_COLUMN=user_id");
        }
    }
}
