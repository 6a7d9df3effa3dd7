using System.Security.Cryptography;

namespace Pds.Functions.Cli;

/// <summary>Account passwords the CLI makes up when the operator gives none.</summary>
internal static class GeneratedPassword
{
    // No 0/o, 1/l/i: the password is read off a terminal and typed or pasted elsewhere.
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    /// <summary>Four groups of five, about 99 bits of entropy: "k7mqp-2xh9s-...".</summary>
    public static string New() =>
        string.Join('-', Enumerable.Range(0, 4).Select(_ => RandomNumberGenerator.GetString(Alphabet, 5)));
}
