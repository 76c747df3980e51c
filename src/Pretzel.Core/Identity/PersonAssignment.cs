namespace Pretzel.Core.Identity;

/// <summary>One row of the identity map: an id and the person it resolves to.</summary>
public readonly record struct PersonAssignment(Identity Identity, string PersonId);
