namespace Pretzel.Analytics.Stages;

/// <summary>
/// The stage models marketers plan with, with rules for common event names (Segment's spec, the demo
/// data's tracking plan). A business with other event names writes its own model in YAML
/// (docs/analyses/stages.md) or copies one of these as a start.
/// </summary>
public static class BuiltInModels
{
    private static StageRule Events(params string[] names) => new() { Events = names };

    private static StageRule Pages(params string[] names) => new() { Types = ["page", "screen"], Events = names };

    private static readonly StageRule AnyTouch = new() { Types = ["page", "screen"] };
    private static readonly StageRule[] Interest = [Events("product_viewed", "Product Viewed", "newsletter_signup", "email_clicked"), Pages("features", "pricing", "docs", "blog")];
    private static readonly StageRule[] Decision = [Events("add_to_cart", "Product Added", "checkout_started", "Checkout Started", "trial_started", "demo_requested", "sign_up", "Signed Up", "sales_meeting")];
    private static readonly StageRule[] Action = [Events("purchase", "order_completed", "Order Completed")];
    private static readonly StageRule[] Refusal = [Events("refused", "unsubscribe", "churned", "subscription_cancelled")];

    /// <summary>The names of the built-in models.</summary>
    public static IReadOnlyList<string> Names { get; } = ["aida", "aidas", "aarrr", "four_step", "journey"];

    /// <summary>The built-in model <paramref name="name"/>, or null.</summary>
    public static StageModel? Find(string name) => name switch
    {
        "aida" => new("aida", [new("attention", [AnyTouch]), new("interest", Interest), new("desire", Decision), new("action", Action)], new("refusal", Refusal)),
        "aidas" => new("aidas",
        [
            new("attention", [AnyTouch]), new("interest", Interest), new("desire", Decision), new("action", [.. Action.Select(r => r with { Occurrence = "first" })]),
            new("satisfaction", [.. Action.Select(r => r with { Occurrence = "repeat" }), Events("review_left", "referral_sent")]),
        ], new("refusal", Refusal)),
        "aarrr" => new("aarrr",
        [
            new("awareness", [AnyTouch]), new("acquisition", [Events("sign_up", "Signed Up", "newsletter_signup")]), new("activation", [Events("trial_started")]),
            new("retention", [Pages("login", "account"), Events("support_contact")]), new("revenue", Action),
            new("referral", [Events("referral_sent")]),
        ], new("refusal", Refusal)),
        "four_step" => new("four_step", [new("awareness", [AnyTouch]), new("interest", Interest), new("decision", Decision), new("action", Action)], new("refusal", Refusal)),
        "journey" => new("journey",
        [
            new("no_problem", [Pages("home", "careers"), Events("email_opened")]),
            new("problem_aware", [Pages("blog")]),
            new("researching_solutions", [Pages("features", "docs"), Events("newsletter_signup", "email_clicked")]),
            new("choosing_a_solution", [Pages("pricing"), Events("product_viewed", "Product Viewed")]),
            new("searching_a_vendor", [Pages("demo"), Events("demo_requested", "event_attended")]),
            new("checking_the_vendor", [Events("sales_call", "sales_meeting", "sign_up", "trial_started", "add_to_cart", "checkout_started")]),
            new("deal", [.. Action.Select(r => r with { Occurrence = "first" })]),
            new("use", [Pages("login", "account"), Events("support_contact")]),
            new("repeat_purchase", [.. Action.Select(r => r with { Occurrence = "repeat" })]),
            new("loyalty", [Events("referral_sent", "review_left")]),
        ], new("refusal", Refusal)),
        _ => null,
    };
}
