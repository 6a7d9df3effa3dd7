using System.CommandLine;

namespace Pds.Functions.Cli;

/// <summary><c>pds invite ...</c>: invite codes of a running PDS.</summary>
internal static class InviteCommand
{
    public const string Name = "invite";

    public static Command Create(CliContext context) =>
        new(Name, "Manage invite codes of a running PDS (with the admin password)")
        {
            InviteCreateCommand.Create(context),
        };
}
