namespace Pds.Functions.Cli;

/// <summary>
/// An operator command could not do its job: the PDS was unreachable, refused the admin
/// password, or answered with an XRPC error. The message is already phrased for the operator.
/// </summary>
internal sealed class OperatorException(string message) : Exception(message)
{
    /// <summary>Runs an operator command body, turning these failures into one line on stderr and exit code 1.</summary>
    public static async Task<int> GuardAsync(CliContext context, string command, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (OperatorException e)
        {
            await context.Error.WriteLineAsync($"pds {command}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
    }
}
