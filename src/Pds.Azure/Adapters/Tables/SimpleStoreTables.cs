using Pds.Azure.Storage;

namespace Pds.Azure.Adapters.Tables;

/// <summary>
/// The five tables behind the account, session, invite, preference and blob-index adapters, one
/// per store, named <c>{prefix}accounts</c>, <c>{prefix}sessions</c>, <c>{prefix}invites</c>,
/// <c>{prefix}preferences</c> and <c>{prefix}blobindex</c>. The stores never create tables
/// themselves (that would cost a round trip per cold start); call
/// <see cref="CreateIfNotExistsAsync"/> once at deployment or startup.
/// </summary>
public sealed class SimpleStoreTables
{
    public const string AccountsName = "accounts";
    public const string SessionsName = "sessions";
    public const string InvitesName = "invites";
    public const string PreferencesName = "preferences";
    public const string BlobIndexName = "blobindex";

    /// <param name="prefix">Prepended to every table name: a letter then letters/digits, or empty.</param>
    /// <exception cref="ArgumentException">The prefix makes an invalid table name.</exception>
    public SimpleStoreTables(StorageConnection connection, string prefix = "", StorageClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(prefix);
        Accounts = new TableClient(connection, prefix + AccountsName, options);
        Sessions = new TableClient(connection, prefix + SessionsName, options);
        Invites = new TableClient(connection, prefix + InvitesName, options);
        Preferences = new TableClient(connection, prefix + PreferencesName, options);
        BlobIndex = new TableClient(connection, prefix + BlobIndexName, options);
    }

    public TableClient Accounts { get; }
    public TableClient Sessions { get; }
    public TableClient Invites { get; }
    public TableClient Preferences { get; }
    public TableClient BlobIndex { get; }

    public IReadOnlyList<TableClient> All => [Accounts, Sessions, Invites, Preferences, BlobIndex];

    /// <summary>Creates whichever of the five tables do not exist yet.</summary>
    public async Task CreateIfNotExistsAsync(CancellationToken ct = default)
    {
        foreach (var table in All)
        {
            await table.CreateIfNotExistsAsync(ct).ConfigureAwait(false);
        }
    }
}
