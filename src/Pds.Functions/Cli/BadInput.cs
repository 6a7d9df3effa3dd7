using Pds.Core.Car;
using Pds.Core.Cbor;
using Pds.Core.Crypto;
using Pds.Core.DataModel;
using Pds.Core.Ipld;
using Pds.Core.Mst;
using Pds.Core.Repo;
using Pds.Core.Syntax;

namespace Pds.Functions.Cli;

/// <summary>
/// The exceptions that mean "this input is bad" rather than "this program has a bug". They
/// become one line on stderr and exit code 1; anything else is left to crash loudly.
/// </summary>
internal static class BadInput
{
    public static bool Is(Exception e) => e is
        CarFormatException or RepoFormatException or CryptoFormatException or DagCborFormatException or
        MstFormatException or CidFormatException or DataModelFormatException or AtSyntaxException or
        MissingBlockException or IOException or UnauthorizedAccessException;

    /// <summary>The exception's message on one line; the type and stack are noise to the user.</summary>
    public static string Reason(Exception e) => e switch
    {
        FileNotFoundException f when f.FileName is not null => $"{f.FileName}: no such file",
        DirectoryNotFoundException => "no such file or directory: " + OneLine(e.Message),
        _ => OneLine(e.Message),
    };

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    /// <summary>Runs a command body, turning bad input into a reason on stderr and exit code 1.</summary>
    public static async Task<int> GuardAsync(CliContext context, string command, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception e) when (Is(e))
        {
            await context.Error.WriteLineAsync($"pds {command}: {Reason(e)}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
    }
}
