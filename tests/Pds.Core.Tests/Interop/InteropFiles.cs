using System.Text.Json;

namespace Pds.Core.Tests.Interop;

/// <summary>
/// Locates the public AT Protocol interop vectors at test time. They live beside the
/// repository (../shared/interop) and are never copied into it; PDS_INTEROP_DIR overrides.
/// </summary>
public static class InteropFiles
{
    public const string MissingMessage =
        "interop vectors not found: expected ../shared/interop beside the repository or PDS_INTEROP_DIR";

    private static readonly Lazy<string?> Root = new(Locate);

    public static bool Available => Root.Value is not null;

    public static string Path(string relative) =>
        System.IO.Path.Combine(Root.Value ?? throw new InvalidOperationException(MissingMessage), relative);

    /// <summary>Line-list files: skip empty lines and lines starting with '#'; never trim.</summary>
    public static IEnumerable<string> Lines(string relative) =>
        File.ReadAllText(Path(relative))
            .Split('\n')
            .Where(l => l.Length > 0 && l[0] != '#');

    public static JsonElement Json(string relative)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path(relative)));
        return doc.RootElement.Clone();
    }

    private static string? Locate()
    {
        var env = Environment.GetEnvironmentVariable("PDS_INTEROP_DIR");
        if (!string.IsNullOrEmpty(env))
        {
            return Directory.Exists(env) ? env : null;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Pds.sln")))
            {
                var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "interop"));
                return Directory.Exists(candidate) ? candidate : null;
            }
        }
        return null;
    }
}

/// <summary>A fact that skips with a clear message when the interop folder is absent.</summary>
public sealed class InteropFactAttribute : FactAttribute
{
    public InteropFactAttribute()
    {
        if (!InteropFiles.Available)
        {
            Skip = InteropFiles.MissingMessage;
        }
    }
}
