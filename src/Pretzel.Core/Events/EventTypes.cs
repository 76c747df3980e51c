using System.Diagnostics.CodeAnalysis;

namespace Pretzel.Core.Events;

/// <summary>Conversions between <see cref="EventType"/> and the lower-case names stored and shown to users.</summary>
public static class EventTypes
{
    /// <summary>Every type name, in the order of <see cref="EventType"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["track", "page", "screen", "identify", "alias", "group"];

    /// <summary>The stored name of a type, e.g. <c>track</c>.</summary>
    public static string Name(this EventType type) => Names[(int)type];

    /// <summary>Parses a type name, ignoring case and surrounding spaces.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out EventType? type)
    {
        text = text.Trim();
        for (var i = 0; i < Names.Count; i++)
        {
            if (text.Equals(Names[i], StringComparison.OrdinalIgnoreCase))
            {
                type = (EventType)i;
                return true;
            }
        }

        type = null;
        return false;
    }
}
