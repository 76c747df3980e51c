using Pretzel.Core.Events;

namespace Pretzel.Ingest.Demo;

/// <summary>
/// Generates a realistic, seeded customer-journey data set (what <c>pretzel demo</c> loads): anonymous
/// visits later identified, second devices, friends referred mid-funnel, skipped and repeated stages,
/// dormant returns, offline sales touches, purchases, refunds, churn and advocacy, as raw events (UTM
/// values and referrers, not channels) the way real sources send them. It plants known effects
/// (<see cref="DemoGroundTruth"/>, docs/demo-data.md) that analyses can be checked against.
/// </summary>
/// <remarks>
/// Events are streamed person by person (each person's events in time order), so a million people never
/// need to be in memory. Each person's randomness is seeded from (seed, person), so the same options give
/// exactly the same events on every run and machine; message ids are <c>demo-{seed}-{person}-{n}</c>.
/// </remarks>
public sealed class DemoGenerator
{
    private readonly DemoOptions _options;

    /// <summary>Checks <paramref name="options"/> (see <see cref="DemoOptions.Validate"/>).</summary>
    public DemoGenerator(DemoOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options.Start.Kind == DateTimeKind.Utc
            ? options
            : options with { Start = DateTime.SpecifyKind(options.Start, DateTimeKind.Utc) };
    }

    /// <summary>The options in use (with <see cref="DemoOptions.Start"/> as UTC).</summary>
    public DemoOptions Options => _options;

    /// <summary>
    /// The events, person by person. Exactly <see cref="DemoOptions.People"/> people: first-time visitors and
    /// CRM leads, each followed in the stream (first in, first out) by the friends they referred.
    /// Each enumeration starts afresh and yields the same sequence.
    /// </summary>
    public IEnumerable<Event> Generate()
    {
        var person = new DemoPerson(_options.Seed, _options.Start, _options.Days);
        var friends = new Queue<DemoInvite>();
        var seedKey = DemoRandom.Hash((ulong)(uint)_options.Seed);
        var firstTime = 0L;
        for (long n = 0; n < _options.People; n++)
        {
            var count = friends.TryDequeue(out var invite)
                ? person.GenerateFriend(n, invite)
                : person.GeneratePrimary(n, DemoRandom.Hash(seedKey ^ DemoRandom.Hash((ulong)firstTime++)));
            for (var i = 0; i < count; i++)
            {
                yield return person.Build(i);
            }

            foreach (var friend in person.Invites)
            {
                friends.Enqueue(friend);
            }
        }
    }
}
