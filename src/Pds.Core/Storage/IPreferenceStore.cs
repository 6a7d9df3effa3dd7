namespace Pds.Core.Storage;

/// <summary>Private per-account preferences (app.bsky.actor.putPreferences), stored as JSON.</summary>
public interface IPreferenceStore
{
    Task<byte[]?> GetAsync(string did, string scope, CancellationToken ct = default);
    Task PutAsync(string did, string scope, byte[] json, CancellationToken ct = default);
    Task DeleteAllAsync(string did, CancellationToken ct = default);
}
