namespace Pds.Sqlite;

/// <summary>Where and how the embedded backend keeps its data.</summary>
public sealed record SqliteStorageOptions
{
    /// <summary>Holds the database file and, unless <see cref="BlobDirectory"/> says otherwise, the blobs.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The 32-byte key that seals account signing keys; the host keeps it outside the database.</summary>
    public required ReadOnlyMemory<byte> MasterKey { get; init; }

    /// <summary>Defaults to &lt;data directory&gt;/blobs.</summary>
    public string? BlobDirectory { get; init; }

    public string DatabaseFileName { get; init; } = SqliteDatabase.DefaultFileName;

    /// <summary>Seeds the firehose's first seq.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
