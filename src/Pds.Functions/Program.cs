using Pds.Functions.Cli;

namespace Pds.Functions;

public static class Program
{
    public static Task<int> Main(string[] args) => PdsCommand.RunAsync(args, CliContext.FromConsole());
}
