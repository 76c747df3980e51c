namespace Pretzel.Core.Identity;

/// <summary>One id a person is known by.</summary>
public readonly record struct Identity(IdentityKind Kind, string Id)
{
    /// <summary>The stored name of the kind: <c>anonymous</c> or <c>user</c>.</summary>
    public string KindName => Kind == IdentityKind.User ? "user" : "anonymous";

    /// <summary>Parses a stored kind name.</summary>
    public static IdentityKind ParseKind(string name) =>
        name == "user" ? IdentityKind.User
        : name == "anonymous" ? IdentityKind.Anonymous
        : throw new FormatException($"unknown identity kind '{name}'");

    public override string ToString() => $"{KindName}:{Id}";
}
