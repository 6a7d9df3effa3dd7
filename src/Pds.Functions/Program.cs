namespace Pds.Functions;

public static class Program
{
    public static int Main(string[] args) => Cli.PdsCommand.Run(args);
}
