namespace Pds.Functions.Cli;

/// <summary>The `pds` command line. Subcommands are wired here as they land.</summary>
public static class PdsCommand
{
    public static int Run(string[] args)
    {
        Console.Error.WriteLine("usage: pds <inspect|verify|unpack> ...");
        return args.Length == 0 ? 0 : 2;
    }
}
