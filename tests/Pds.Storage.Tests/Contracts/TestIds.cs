using System.Security.Cryptography;

namespace Pds.Storage.Tests.Contracts;

/// <summary>
/// Fresh identifiers per test, so contract tests can share one backend (an emulator account,
/// a database) without seeing each other's rows.
/// </summary>
public static class TestIds
{
    private const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";

    public static string Did() => "did:plc:" + Random(24);

    public static string Handle() => "u" + Random(10) + ".test";

    public static string Email() => "u" + Random(10) + "@example.com";

    public static string Random(int length) => RandomNumberGenerator.GetString(Base32, length);
}
