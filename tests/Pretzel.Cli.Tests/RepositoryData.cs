namespace Pretzel.Cli.Tests;

/// <summary>Sample data kept in the repository (tests/data, each folder with its licence note), found from the test binaries.</summary>
internal static class RepositoryData
{
    /// <summary>The path of <c>tests/data/FOLDER/FILE</c>; fails the test, naming the path, when it is missing.</summary>
    public static string File(string folder, string file)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !System.IO.File.Exists(Path.Combine(root.FullName, "Pretzel.slnx")))
        {
            root = root.Parent;
        }

        Assert.True(root is not null, $"no folder above {AppContext.BaseDirectory} holds Pretzel.slnx: cannot find the repository root");
        var path = Path.Combine(root!.FullName, "tests", "data", folder, file);
        Assert.True(System.IO.File.Exists(path) || file.Contains('*', StringComparison.Ordinal), $"sample data missing: expected {path} (see NOTICE.md beside it)");
        return path;
    }
}
