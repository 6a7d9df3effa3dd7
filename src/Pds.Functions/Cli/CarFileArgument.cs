using System.CommandLine;

namespace Pds.Functions.Cli;

internal static class CarFileArgument
{
    /// <summary>
    /// The repository CAR a command reads. Existence is not a parse rule: a missing file is bad
    /// input (exit 1) like any other unreadable file, not a usage error.
    /// </summary>
    public static Argument<FileInfo> Create() => new("FILE")
    {
        Description = "Repository CAR file (CARv1, one root: the signed commit), e.g. from com.atproto.sync.getRepo",
    };
}
