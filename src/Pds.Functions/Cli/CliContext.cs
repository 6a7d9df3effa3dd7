namespace Pds.Functions.Cli;

/// <summary>
/// Where a command writes. Passed in rather than read from <see cref="Console"/> so tests can
/// run the CLI in-process and capture both streams.
/// </summary>
/// <param name="Out">Results: JSON, "ok" lines, summaries.</param>
/// <param name="Error">Reasons for failure, warnings and usage.</param>
/// <param name="OutIsTerminal">True when <paramref name="Out"/> is an interactive terminal (progress bars allowed).</param>
public sealed record CliContext(TextWriter Out, TextWriter Error, bool OutIsTerminal = false)
{
    public static CliContext FromConsole() => new(Console.Out, Console.Error, !Console.IsOutputRedirected);
}
