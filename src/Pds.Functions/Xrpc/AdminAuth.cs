using System.Security.Cryptography;
using System.Text;

namespace Pds.Functions.Xrpc;

/// <summary>HTTP Basic auth with user "admin" and the PDS admin password, compared in constant time.</summary>
public static class AdminAuth
{
    public static bool IsAdmin(string authorization, string adminPassword)
    {
        if (adminPassword.Length == 0 || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = Encoding.UTF8.GetBytes("admin:" + adminPassword);
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(decoded), expected);
    }

    public static string Header(string adminPassword) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + adminPassword));
}
