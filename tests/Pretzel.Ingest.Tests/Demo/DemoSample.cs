using Pretzel.Ingest.Demo;

namespace Pretzel.Ingest.Tests.Demo;

/// <summary>
/// One generated sample shared by the ground-truth tests: the default 20,000 people (about 240,000 events), so
/// that the planted effects stand out of the noise by 3 or more standard errors within the tolerances below
/// (the bright path and the referred friends are rare: a few hundred people each).
/// </summary>
public sealed class DemoSample
{
    public DemoSample()
    {
        Options = new DemoOptions();
        People = DemoJourney.Split(new DemoGenerator(Options).Generate());
    }

    public DemoOptions Options { get; }

    internal List<DemoJourney> People { get; }

    public DateTime End => Options.Start.AddDays(Options.Days);
}
