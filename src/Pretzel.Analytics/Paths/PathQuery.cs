using Pretzel.Core.Storage;

namespace Pretzel.Analytics.Paths;

/// <summary>Runs the path table over a store: its event columns, then <see cref="PathKernel"/>.</summary>
public static class PathQuery
{
    public static async Task<PathResult> RunAsync(IEventStore store, PathOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var columns = await store.ReadEventColumnsAsync(cancellationToken).ConfigureAwait(false);
        return PathKernel.Compute(columns, options);
    }
}
