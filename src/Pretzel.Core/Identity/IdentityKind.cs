namespace Pretzel.Core.Identity;

/// <summary>What kind of id an identity is.</summary>
public enum IdentityKind
{
    /// <summary>A device or cookie id (<c>anonymous_id</c>).</summary>
    Anonymous,

    /// <summary>The business's own customer id (<c>user_id</c>).</summary>
    User,
}
