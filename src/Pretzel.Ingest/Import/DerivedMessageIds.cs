using System.Globalization;
using System.Runtime.InteropServices;

namespace Pretzel.Ingest.Import;

/// <summary>
/// Ids for events that come without a message id: <c>h-</c> + the hash of their content, and a
/// <c>-N</c> suffix for the N-th time the same content occurs in one input. Importing the same input
/// again therefore gives the same ids, and the store keeps each event once.
/// </summary>
internal sealed class DerivedMessageIds
{
    private readonly Dictionary<UInt128, int> _seen = [];

    /// <summary>The id for the next occurrence of content hashed to <paramref name="digest"/>.</summary>
    internal string Next(UInt128 digest)
    {
        ref var seen = ref CollectionsMarshal.GetValueRefOrAddDefault(_seen, digest, out _);
        seen++;
        var id = "h-" + digest.ToString("x32", CultureInfo.InvariantCulture);
        return seen == 1 ? id : id + "-" + seen.ToString(CultureInfo.InvariantCulture);
    }
}
