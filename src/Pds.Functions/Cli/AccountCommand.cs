using System.CommandLine;

namespace Pds.Functions.Cli;

/// <summary><c>pds account ...</c>: managing the accounts of a running PDS through its admin XRPC methods.</summary>
internal static class AccountCommand
{
    public const string Name = "account";

    public static Command Create(CliContext context) =>
        new(Name, "Manage the accounts of a running PDS (through its XRPC API, with the admin password)")
        {
            AccountCreateCommand.Create(context),
            AccountListCommand.Create(context),
            AccountResetPasswordCommand.Create(context),
            AccountTakedownCommand.Create(context),
            AccountDeleteCommand.Create(context),
        };
}
