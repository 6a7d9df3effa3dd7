namespace Pds.Functions.Cli;

/// <summary>
/// The output of a command that set an account's password: a summary, then the password only if
/// the CLI generated it (an operator who chose one already knows it), or the same as JSON.
/// </summary>
internal static class PasswordResult
{
    public static async Task WriteAsync(CliContext context, bool json, string summary, string did, string? handle, string? generatedPassword)
    {
        if (json)
        {
            await context.Out.WriteAsync(JsonOutput.ToText(w =>
            {
                w.WriteStartObject();
                w.WriteString("did", did);
                if (handle is not null)
                {
                    w.WriteString("handle", handle);
                }
                if (generatedPassword is not null)
                {
                    w.WriteString("password", generatedPassword);
                }
                w.WriteEndObject();
            })).ConfigureAwait(false);
            return;
        }
        await context.Out.WriteLineAsync(summary).ConfigureAwait(false);
        await context.Out.WriteLineAsync($"did: {did}").ConfigureAwait(false);
        if (generatedPassword is not null)
        {
            await context.Out.WriteLineAsync(
                $"password: {generatedPassword}\n(generated; it is not stored anywhere and will not be shown again)").ConfigureAwait(false);
        }
    }
}
