using System.Collections;
using System.Runtime.CompilerServices;
using Pretzel.Core.Events;

namespace Pretzel.Analytics.Kernels;

/// <summary>
/// Whether an event of an <see cref="EventColumns"/> meets a set of field conditions, tested through
/// lookup tables over the columns' codes (<c>Allowed[code + 1]</c>, index 0 being no value) instead of
/// text: one or two array reads per event. Conditions the store evaluated itself (e.g. on properties)
/// come in as one bit per event.
/// </summary>
internal sealed class EventMatcher
{
    private readonly (int[] Codes, bool[] Allowed)[] _fields;
    private readonly int[]? _singleCodes;
    private readonly bool[]? _singleAllowed;
    private readonly byte[] _types;
    private readonly bool[]? _typeAllowed;
    private readonly BitArray? _extra;

    /// <summary>Conditions as (field, value) pairs over <c>type</c>, <c>event</c>, <c>channel</c>, <c>source</c>, <c>medium</c>, <c>campaign</c>.</summary>
    internal EventMatcher(EventColumns columns, IEnumerable<(string Field, string Value)> conditions, BitArray? extra = null)
    {
        var fields = new List<(int[] Codes, bool[] Allowed)>();
        foreach (var (field, value) in conditions)
        {
            if (field == EventColumn.Type)
            {
                var allowed = new bool[256];
                if (EventTypes.TryParse(value, out var t) && (_typeAllowed is null || _typeAllowed[(int)t!.Value]))
                {
                    allowed[(int)t!.Value] = true;
                }

                _typeAllowed = allowed;
            }
            else
            {
                var column = columns.Column(field);
                var allowed = new bool[column.Labels.Length + 1];
                var code = column.CodeOf(value);
                if (code >= 0)
                {
                    allowed[code + 1] = true;
                }

                fields.Add((column.Codes, allowed));
            }
        }

        _fields = [.. fields];
        _types = columns.Types;
        _extra = extra;
        if (_fields.Length == 1 && _typeAllowed is null && extra is null)
        {
            (_singleCodes, _singleAllowed) = _fields[0];
        }
    }

    internal bool this[int i]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _singleCodes is not null ? _singleAllowed![_singleCodes[i] + 1] : Slow(i);
    }

    private bool Slow(int i)
    {
        if (_typeAllowed is not null && !_typeAllowed[_types[i]])
        {
            return false;
        }

        foreach (var (codes, allowed) in _fields)
        {
            if (!allowed[codes[i] + 1])
            {
                return false;
            }
        }

        return _extra is null || _extra[i];
    }
}
