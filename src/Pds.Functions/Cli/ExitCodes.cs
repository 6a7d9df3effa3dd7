namespace Pds.Functions.Cli;

public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The input was read and found wanting (malformed, invalid, missing).</summary>
    public const int Failed = 1;

    /// <summary>The command line itself was wrong.</summary>
    public const int Usage = 2;
}
