using System.CommandLine;
using System.CommandLine.Parsing;
using Pds.Core.Crypto;

namespace Pds.Functions.Cli;

/// <summary><c>pds verify FILE [--did-key KEY]</c>: exit 0 if the repository CAR is valid, 1 with the reason if not.</summary>
internal static class VerifyCommand
{
    public const string Name = "verify";

    public static Command Create(CliContext context)
    {
        var file = CarFileArgument.Create();
        var didKey = new Option<PublicKey>("--did-key")
        {
            Description = "The account's signing key (k256 or p256, from its DID document); signatures must be low-S. " +
                "Without it the signature is not checked",
            HelpName = "did:key:z...",
            CustomParser = ParseDidKey,
        };
        var command = new Command(Name,
            "Check a repository CAR: block hashes, commit, MST layout, records and, with --did-key, the " +
            "signature. Exit 0 if valid; 1 with the reason on stderr if not.")
        {
            file,
            didKey,
        };
        command.SetAction((parse, ct) => BadInput.GuardAsync(context, Name, async () =>
        {
            var key = parse.GetValue(didKey);
            var (_, repo) = await RepoCar.LoadAsync(parse.GetRequiredValue(file), key, ct).ConfigureAwait(false);
            var signature = key is null ? "signature not checked" : "signature ok";
            await context.Out.WriteLineAsync(
                $"ok {repo.Commit.Did} rev {repo.Commit.Rev}: {repo.Records.Count} records, {signature}").ConfigureAwait(false);
            if (key is null)
            {
                await context.Error.WriteLineAsync(
                    "pds verify: warning: signature not checked; pass --did-key with the account's signing key").ConfigureAwait(false);
            }
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>A malformed key is a usage error, reported by the parser before anything is read.</summary>
    private static PublicKey? ParseDidKey(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        try
        {
            return PublicKey.FromDidKey(text);
        }
        catch (CryptoFormatException e)
        {
            result.AddError($"--did-key '{text}' is not a k256 or p256 did:key: {e.Message}");
            return null;
        }
    }
}
