using System.Globalization;
using System.Text.Json;
using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Funnels;

/// <summary>
/// A condition on one top-level event property, written <c>properties.KEY OP VALUE</c>. The property's
/// text is a string's value, or a number's or boolean's JSON text; a missing property, <c>null</c>, an
/// object or an array has none.
/// <list type="bullet">
/// <item><c>=</c>: with a numeric VALUE, the text read as a number equals it (so <c>5</c>, <c>5.0</c> and <c>"5"</c> all equal 5); otherwise the text equals VALUE.</item>
/// <item><c>!=</c>: the property has a text, and <c>=</c> does not hold.</item>
/// <item><c>&gt;</c>, <c>&gt;=</c>, <c>&lt;</c>, <c>&lt;=</c>: VALUE is a number, and so is the text.</item>
/// </list>
/// The store evaluates the condition itself (<see cref="Sql"/>); <see cref="Matches"/> is the same
/// rule in C#, for the reference implementation, and the contract tests hold the two together.
/// </summary>
public sealed record PropertyCondition
{
    internal static readonly string[] Operators = ["!=", ">=", "<=", "=", ">", "<"];

    public PropertyCondition(string key, string op, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new FunnelException($"properties.{key}: a property name is letters, digits and '_'");
        }

        if (Array.IndexOf(Operators, op) < 0)
        {
            throw new FunnelException($"properties.{key}{op}{value}: the operator is one of {string.Join(' ', Operators)}");
        }

        Number = ParseNumber(value);
        if (op is ">" or ">=" or "<" or "<=" && Number is null)
        {
            throw new FunnelException($"properties.{key}{op}{value}: '{value}' is not a number ({op} compares numbers)");
        }

        Key = key;
        Op = op;
        Value = value;
    }

    public string Key { get; }

    /// <summary>Parses <c>KEY OP VALUE</c>, with or without the <c>properties.</c> prefix; throws <see cref="FunnelException"/> naming it.</summary>
    public static PropertyCondition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (at, op) = FindOperator(text);
        if (op is null)
        {
            throw new FunnelException($"'{text}' is not a property condition (KEY OP VALUE, OP one of {string.Join(' ', Operators)})");
        }

        var key = text[..at].Trim();
        if (key.StartsWith("properties.", StringComparison.OrdinalIgnoreCase))
        {
            key = key["properties.".Length..];
        }

        return new PropertyCondition(key, op, text[(at + op.Length)..].Trim());
    }

    /// <summary>The first operator in <paramref name="text"/> (the longest spelling at a position first), or null.</summary>
    internal static (int At, string? Op) FindOperator(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            foreach (var op in Operators)
            {
                if (string.CompareOrdinal(text, i, op, 0, op.Length) == 0)
                {
                    return (i, op);
                }
            }
        }

        return (-1, null);
    }

    public string Op { get; }

    public string Value { get; }

    /// <summary>VALUE as a number, when it is one.</summary>
    public double? Number { get; }

    public override string ToString() => $"properties.{Key}{Op}{Value}";

    /// <summary>Whether an event with these properties (a JSON object, or null) meets the condition.</summary>
    public bool Matches(string? properties)
    {
        var text = Text(properties, Key);
        if (text is null)
        {
            return false;
        }

        var number = ParseNumber(text);
        var equal = Number is { } v ? number == v : string.Equals(text, Value, StringComparison.Ordinal);
        return Op switch
        {
            "=" => equal,
            "!=" => !equal,
            ">" => number > Number,
            ">=" => number >= Number,
            "<" => number < Number,
            _ => number <= Number,
        };
    }

    /// <summary>The condition in <paramref name="dialect"/>'s SQL, over the <c>events</c> table.</summary>
    public string Sql(ISqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        var text = dialect.PropertyText("properties", Key);
        var number = dialect.ToNumber(text);
        var literal = Number is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : null;
        var equal = literal is not null ? $"{number} = {literal}" : $"{text} = {dialect.StringLiteral(Value)}";
        return Op switch
        {
            "=" => $"coalesce({equal}, 1 = 0)",
            "!=" => $"({text} IS NOT NULL AND NOT coalesce({equal}, 1 = 0))",
            _ => $"coalesce({number} {Op} {literal}, 1 = 0)",
        };
    }

    // A number written plainly: sign, digits, point, exponent; no spaces, no hex, no NaN or infinity.
    private static double? ParseNumber(string text) =>
        double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var n)
            && double.IsFinite(n) ? n : null;

    private static string? Text(string? properties, string key)
    {
        if (string.IsNullOrEmpty(properties))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(properties);
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty(key, out var value))
            {
                return null;
            }

            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                _ => null,
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
