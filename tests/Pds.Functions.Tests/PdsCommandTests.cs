using Pds.Functions.Cli;
namespace Pds.Functions.Tests;

public sealed class PdsCommandTests
{
    [Fact]
    public void Create_Serve_IsTheDefaultCommandsTarget()
    {
        // RunAsync turns an empty command line into `serve` (covered end to end by ProcessTests).
        var parsed = PdsCommand.Create(new CliContext(TextWriter.Null, TextWriter.Null, false)).Parse(["serve"]);

        Assert.Empty(parsed.Errors);
        Assert.Equal("serve", parsed.CommandResult.Command.Name);
    }

    [Fact]
    public async Task Run_Help_ListsEveryCommandAndExitsZero()
    {
        var result = await CliRunner.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var command in new[] { "inspect <FILE>", "verify <FILE>", "unpack <FILE> <DIR>", "Exit codes" })
        {
            Assert.Contains(command, result.Out, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("inspect", "<FILE>")]
    [InlineData("verify", "--did-key")]
    [InlineData("unpack", "<DIR>")]
    public async Task Run_CommandHelp_DescribesArgumentsAndExitsZero(string command, string mention)
    {
        var result = await CliRunner.RunAsync(command, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"pds {command}", result.Out, StringComparison.Ordinal);
        Assert.Contains(mention, result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("inspect")]
    [InlineData("verify")]
    [InlineData("unpack", "only-a-file.car")]
    [InlineData("inspect", "a.car", "extra")]
    [InlineData("verify", "a.car", "--did-key")]
    [InlineData("frobnicate")]
    [InlineData("--no-such-option")]
    public async Task Run_UsageError_ExitsTwoWithHint(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("", result.Out);
        Assert.Contains("--help' for usage", result.Error, StringComparison.Ordinal);
    }
}
