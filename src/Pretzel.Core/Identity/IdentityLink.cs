namespace Pretzel.Core.Identity;

/// <summary>Evidence that two ids belong to one person (an identify, an alias, or an event carrying both ids).</summary>
public readonly record struct IdentityLink(Identity A, Identity B);
