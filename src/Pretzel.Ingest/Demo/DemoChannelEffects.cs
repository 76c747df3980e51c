using Pretzel.Core.Events;

namespace Pretzel.Ingest.Demo;

/// <summary>
/// The channel effects the demo generator plants, read back from its data (see docs/demo-data.md, "Ground truth",
/// and docs/analyses/attribution.md, "Evaluation"): per person, the share of each of their conversions that would
/// not have happened without the channel.
/// <list type="bullet">
/// <item><c>email</c>: being on the list doubles the purchase probability (<see cref="DemoGroundTruth.EmailPurchaseFactor"/>),
/// and every later purchase (renewals) needs the first one, so without email a list member's expected purchases halve:
/// share 1 − 1/2 for people with an email touch (on the list ⇔ has an email touch), 0 for the rest.</item>
/// <item><c>word_of_mouth</c>: a referred friend arrives only through an advocate's referral, so all of their purchases
/// need it: share 1 for people whose first touch is word of mouth.</item>
/// <item><c>display</c>: no effect on anything: share 0 for everyone.</item>
/// </list>
/// Other channels bring people in, but the generator plants no removal effect for them that the data could
/// reproduce (who would have come another way is not defined), so they are not scored.
/// </summary>
public static class DemoChannelEffects
{
    /// <summary>The prefix of every message id the demo generator writes (<c>demo-SEED-PERSON-N</c>).</summary>
    public const string MessageIdPrefix = "demo-";

    /// <summary>The planted effects over <paramref name="columns"/>: channel, per-person share, and the rule in words.</summary>
    public static IReadOnlyList<(string Channel, double[] PersonShare, string Rule)> From(EventColumns columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var email = new double[columns.PersonCount];
        var wordOfMouth = new double[columns.PersonCount];
        var emailCode = columns.Channel.CodeOf("email");
        var wordOfMouthCode = columns.Channel.CodeOf("word_of_mouth");
        var emailShare = 1 - (1 / DemoGroundTruth.EmailPurchaseFactor);
        var channels = columns.Channel.Codes;
        for (var p = 0; p < columns.PersonCount; p++)
        {
            var firstTouch = -1;
            for (var i = columns.PersonStart[p]; i < columns.PersonStart[p + 1]; i++)
            {
                var channel = channels[i];
                if (channel < 0)
                {
                    continue;
                }

                if (firstTouch < 0)
                {
                    firstTouch = channel;
                }

                if (channel == emailCode)
                {
                    email[p] = emailShare;
                }
            }

            if (firstTouch >= 0 && firstTouch == wordOfMouthCode)
            {
                wordOfMouth[p] = 1;
            }
        }

        return
        [
            ("email", email, $"people with an email touch: 1 − 1/{DemoGroundTruth.EmailPurchaseFactor} of their purchases (email multiplies the purchase probability by {DemoGroundTruth.EmailPurchaseFactor})"),
            ("word_of_mouth", wordOfMouth, "people whose first touch is word of mouth: all their purchases (a referred friend comes only through the referral)"),
            ("display", new double[columns.PersonCount], "nobody: display changes no probability"),
        ];
    }
}
