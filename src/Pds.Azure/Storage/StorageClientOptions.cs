using Azure.Core;

namespace Pds.Azure.Storage;

/// <summary>
/// Options for the storage clients: Azure.Core's retry, transport and diagnostics, the service
/// versions sent as <c>x-ms-version</c>, and the Table Shared Key scheme.
/// </summary>
public sealed class StorageClientOptions : ClientOptions
{
    public StorageClientOptions()
    {
        Retry.MaxRetries = 4;
        // Logging allow-lists: Azure.Core redacts every header and query parameter not named here,
        // and Authorization is never named, so neither keys nor signatures reach the logs.
        foreach (var header in new[]
        {
            "x-ms-version", "x-ms-date", "x-ms-request-id", "x-ms-error-code", "x-ms-blob-type",
            "x-ms-lease-action", "x-ms-lease-duration", "x-ms-lease-state", "x-ms-lease-status",
            "x-ms-range", "x-ms-continuation-NextPartitionKey", "x-ms-continuation-NextRowKey",
            "DataServiceVersion", "MaxDataServiceVersion", "Prefer", "Content-Range",
            "x-ms-blob-content-type", "x-ms-copy-id", "x-ms-copy-status",
        })
        {
            Diagnostics.LoggedHeaderNames.Add(header);
        }
        foreach (var parameter in new[]
        {
            "restype", "comp", "prefix", "marker", "maxresults", "numofmessages", "visibilitytimeout",
            "messagettl", "peekonly", "$top", "$select", "include", "blockid", "blocklisttype",
        })
        {
            Diagnostics.LoggedQueryParameters.Add(parameter);
        }
    }

    /// <summary>x-ms-version for Blob and Queue (Azurite 3.37 accepts up to its own baseline).</summary>
    public string BlobQueueServiceVersion { get; set; } = "2025-01-05";

    /// <summary>x-ms-version for Table: 2019-02-02 is the minimum that accepts Entra tokens.</summary>
    public string TableServiceVersion { get; set; } = "2019-02-02";

    public TableSharedKeyScheme TableSharedKeyScheme { get; set; } = TableSharedKeyScheme.SharedKeyLite;

    /// <summary>One counter shared by every client built with these options (the host's round trips per operation); null = each client its own.</summary>
    public StorageRequestCounter? Counter { get; set; }

    /// <summary>The clock for x-ms-date (tests inject one).</summary>
    internal TimeProvider Clock { get; set; } = TimeProvider.System;
}
