using Pretzel.Core.Identity;
using CoreIdentity = Pretzel.Core.Identity.Identity;

namespace Pretzel.Core.Tests.Identity;

public sealed class IdentityTests
{
    [Theory]
    [InlineData(IdentityKind.User, "user")]
    [InlineData(IdentityKind.Anonymous, "anonymous")]
    public void KindName_RoundTripsThroughParseKind(IdentityKind kind, string name)
    {
        var identity = new CoreIdentity(kind, "x");

        Assert.Equal(name, identity.KindName);
        Assert.Equal(kind, CoreIdentity.ParseKind(name));
    }

    [Theory]
    [InlineData("User")]
    [InlineData("anon")]
    [InlineData("")]
    public void ParseKind_UnknownName_ThrowsNamingIt(string name)
    {
        var ex = Assert.Throws<FormatException>(() => CoreIdentity.ParseKind(name));

        Assert.Contains($"'{name}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_IsKindColonId()
    {
        Assert.Equal("user:u-1", new CoreIdentity(IdentityKind.User, "u-1").ToString());
        Assert.Equal("anonymous:a:b", new CoreIdentity(IdentityKind.Anonymous, "a:b").ToString());
    }

    [Fact]
    public void Equality_SameIdDifferentKind_AreDifferentIdentities()
    {
        Assert.NotEqual(new CoreIdentity(IdentityKind.User, "same"), new CoreIdentity(IdentityKind.Anonymous, "same"));
        Assert.Equal(new CoreIdentity(IdentityKind.User, "same"), new CoreIdentity(IdentityKind.User, "same"));
    }
}
