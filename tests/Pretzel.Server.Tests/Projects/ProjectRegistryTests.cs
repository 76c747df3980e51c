using Pretzel.Server.Projects;
using Pretzel.Server.Tests.Support;

namespace Pretzel.Server.Tests.Projects;

public sealed class ProjectRegistryTests
{
    [Fact]
    public void Keys_are_found_by_kind_and_only_their_hashes_are_stored()
    {
        using var folder = new TempFolder();
        var registry = new ProjectRegistry(folder.Path);
        var shop = registry.Create("shop", DateTime.UtcNow);
        var blog = registry.Create("blog", DateTime.UtcNow);

        Assert.StartsWith(ApiKey.WritePrefix, shop.WriteKey, StringComparison.Ordinal);
        Assert.StartsWith(ApiKey.ReadPrefix, shop.ReadKey, StringComparison.Ordinal);
        Assert.Equal(("shop", KeyKind.Write), registry.Find(shop.WriteKey) is { } w ? (w.Project.Name, w.Kind) : default);
        Assert.Equal(("shop", KeyKind.Read), registry.Find(shop.ReadKey) is { } r ? (r.Project.Name, r.Kind) : default);
        Assert.Equal("blog", registry.Find(blog.WriteKey)?.Project.Name);
        Assert.Null(registry.Find(shop.WriteKey + "x"));
        Assert.Null(registry.Find(""));

        var text = File.ReadAllText(folder.File("projects.json"));
        Assert.DoesNotContain(shop.WriteKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(shop.ReadKey, text, StringComparison.Ordinal);
        Assert.Contains(ApiKey.Hash(shop.WriteKey), text, StringComparison.Ordinal);
        Assert.Equal(["blog", "shop"], registry.List().Select(p => p.Name));
    }

    [Fact]
    public void A_project_created_elsewhere_is_found_without_a_restart()
    {
        using var folder = new TempFolder();
        var server = new ProjectRegistry(folder.Path);
        Assert.Empty(server.List());
        var created = new ProjectRegistry(folder.Path).Create("late", DateTime.UtcNow);
        Assert.Equal("late", server.Find(created.WriteKey)?.Project.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Shop")]
    [InlineData("1shop")]
    [InlineData("shop-eu")]
    [InlineData("shop eu")]
    [InlineData("../etc")]
    [InlineData("a234567890123456789012345678901234567890x")]
    public void Invalid_names_are_refused_with_the_rule(string name)
    {
        using var folder = new TempFolder();
        var ex = Assert.Throws<ProjectRegistryException>(() => new ProjectRegistry(folder.Path).Create(name, DateTime.UtcNow));
        Assert.Contains("lower-case letter", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_name_is_refused_and_the_first_keys_keep_working()
    {
        using var folder = new TempFolder();
        var registry = new ProjectRegistry(folder.Path);
        var first = registry.Create("shop", DateTime.UtcNow);
        var ex = Assert.Throws<ProjectRegistryException>(() => registry.Create("shop", DateTime.UtcNow));
        Assert.Contains("already exists", ex.Message, StringComparison.Ordinal);
        Assert.Equal("shop", registry.Find(first.WriteKey)?.Project.Name);
    }

    [Fact]
    public async Task Concurrent_creates_lose_no_project()
    {
        using var folder = new TempFolder();
        var names = Enumerable.Range(0, 12).Select(i => "p" + i).ToList();
        await Task.WhenAll(names.Select(n => Task.Run(() => new ProjectRegistry(folder.Path).Create(n, DateTime.UtcNow))));
        Assert.Equal(names.Order(StringComparer.Ordinal), new ProjectRegistry(folder.Path).List().Select(p => p.Name));
    }

    [Fact]
    public void A_corrupt_registry_is_reported_with_its_path()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("projects.json"), "{ not json");
        var ex = Assert.Throws<ProjectRegistryException>(() => new ProjectRegistry(folder.Path).List());
        Assert.Contains("projects.json", ex.Message, StringComparison.Ordinal);
    }
}
