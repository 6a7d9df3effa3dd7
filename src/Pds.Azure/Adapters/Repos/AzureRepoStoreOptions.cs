namespace Pds.Azure.Adapters.Repos;

public sealed class AzureRepoStoreOptions
{
    /// <summary>Shared by every repository of the process; 64 MiB holds the hot tree paths of thousands of repos.</summary>
    public BlockCache Cache { get; init; } = new(64L * 1024 * 1024);

    /// <summary>
    /// How long a commit too big for one transaction may take to finish its record index before
    /// another writer or reader assumes its process died and completes the index itself.
    /// </summary>
    public TimeSpan IndexRepairAfter { get; init; } = TimeSpan.FromSeconds(10);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Called between the storage steps of a commit ("blocks", "swap", "index", "done"). Crash
    /// tests throw from it to stop a commit exactly there, as a killed process would.
    /// </summary>
    public Action<string>? OnCommitStep { get; init; }
}
