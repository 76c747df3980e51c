namespace Pretzel.Ingest.Projects;

/// <summary>
/// The <c>aarrr:</c> section of a project file: which events and channels define acquisition, activation,
/// retention, revenue and referral in <c>pretzel aarrr</c> (docs/analyses/aarrr.md). A null list means "any event".
/// The defaults match the demo data's tracking plan.
/// </summary>
public sealed class AarrrSettings
{
    /// <summary>Defaults: acquired when first seen, activated at <c>sign_up</c>, retained on any event, revenue from any event carrying it, referrals by <c>referral_sent</c> and <c>word_of_mouth</c>.</summary>
    public static AarrrSettings Default { get; } = new();

    /// <summary>Events whose first occurrence acquires a person. Default null: any event (first seen).</summary>
    public IReadOnlyList<string>? AcquisitionEvents { get; init; }

    /// <summary>Events whose first occurrence activates a person. Default <c>sign_up</c>.</summary>
    public IReadOnlyList<string> ActivationEvents { get; init; } = ["sign_up"];

    /// <summary>Events that make an acquired person active in a later period. Default null: any event.</summary>
    public IReadOnlyList<string>? RetentionEvents { get; init; }

    /// <summary>Events whose revenue counts. Default null: any event carrying revenue (refunds included, negative).</summary>
    public IReadOnlyList<string>? RevenueEvents { get; init; }

    /// <summary>Events a referrer sends. Default <c>referral_sent</c>.</summary>
    public IReadOnlyList<string> ReferralEvents { get; init; } = ["referral_sent"];

    /// <summary>First-touch channels of referred people. Default <c>word_of_mouth</c>.</summary>
    public IReadOnlyList<string> ReferredChannels { get; init; } = ["word_of_mouth"];
}
