namespace Pds.TestSupport;

public static class RepoPaths
{
    /// <summary>The checkout root: the first ancestor of the test binaries holding Pds.sln.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pds.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("cannot find the repository root (Pds.sln) above " + AppContext.BaseDirectory);
    }

    /// <summary>An executable on PATH or in one of the extra folders (dnsmasq lives in /usr/sbin).</summary>
    public static string? FindExecutable(string name, params string[] extraFolders)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var folder in path.Split(Path.PathSeparator).Concat(extraFolders))
        {
            var candidate = Path.Combine(folder, name);
            if (folder.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
