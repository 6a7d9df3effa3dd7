namespace Pds.Azure.SignalR;

/// <summary>Hub names as the service treats them: case-insensitive, so always sent lower-case.</summary>
internal static class HubName
{
    public static string Normalize(string hub)
    {
        ArgumentNullException.ThrowIfNull(hub);
        if (hub.Length is 0 or > 128 || !char.IsAsciiLetter(hub[0]) || !hub.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw new ArgumentException("hub name must be 1-128 ASCII letters, digits or '_', starting with a letter", nameof(hub));
        }
        return hub.ToLowerInvariant();
    }
}
