namespace Pds.Functions.Tests;

/// <summary>The checkout root: the nearest directory above the test binaries holding Pds.sln.</summary>
public static class RepoRoot
{
    private static readonly Lazy<string> Root = new(Find);

    public static string Path => Root.Value;

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Pds.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Pds.sln above {AppContext.BaseDirectory}");
    }
}
