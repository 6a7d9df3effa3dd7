using Pds.Core.Repo;
using Pds.Functions.Cli;

namespace Pds.Functions.Tests;

public sealed class RepoUnpackerTests
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "unpack-root");

    [Theory]
    [InlineData("app.bsky.feed.post/3kmn2ith6m22b")]
    [InlineData("com.example.pds.test/key:ordering")]
    [InlineData("com.example.pds.test/ints_and~scalars")]
    [InlineData("com.example.pds.test/nested.arrays")]
    public void RecordPath_ValidRepoPath_IsCollectionFolderAndRkeyFile(string repoPath)
    {
        var path = RepoUnpacker.RecordPath(Root, repoPath);

        Assert.Equal(Path.Combine(Root, repoPath.Replace('/', Path.DirectorySeparatorChar) + ".json"), path);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("app.bsky.feed.post/../../../x")]
    [InlineData("app.bsky.feed.post/../x")]
    [InlineData("app.bsky.feed.post/a/b")]
    [InlineData("/etc/passwd")]
    [InlineData("app.bsky.feed.post/")]
    [InlineData("no-slash")]
    public void RecordPath_PathLeavingTheLayout_Throws(string repoPath)
    {
        Assert.Throws<RepoFormatException>(() => RepoUnpacker.RecordPath(Root, repoPath));
    }
}
