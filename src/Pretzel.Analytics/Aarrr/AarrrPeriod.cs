namespace Pretzel.Analytics.Aarrr;

/// <summary>
/// The AARRR counts of one calendar period (see <see cref="AarrrOptions"/> and docs/analyses/aarrr.md): people
/// acquired, activated (first activation event), activated in their acquisition period, retained (active, acquired
/// in an earlier period), revenue and paying people, referrers and referred people acquired.
/// </summary>
public sealed class AarrrPeriod(int period)
{
    /// <summary>The period (see <see cref="Retention.LocalCalendar"/>).</summary>
    public int Period { get; } = period;

    public long Acquired { get; internal set; }

    public long Activated { get; internal set; }

    /// <summary>People acquired in this period who activated in it too: the numerator of the activation rate.</summary>
    public long ActivatedOnArrival { get; internal set; }

    public long Retained { get; internal set; }

    public double Revenue { get; internal set; }

    public long Paying { get; internal set; }

    public long Referrers { get; internal set; }

    public long Referred { get; internal set; }

    internal void Add(AarrrPeriod other)
    {
        Acquired += other.Acquired;
        Activated += other.Activated;
        ActivatedOnArrival += other.ActivatedOnArrival;
        Retained += other.Retained;
        Revenue += other.Revenue;
        Paying += other.Paying;
        Referrers += other.Referrers;
        Referred += other.Referred;
    }
}
