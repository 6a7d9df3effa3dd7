namespace Pds.Storage.Tests.Contracts;

/// <summary>
/// Base of every contract suite: a backend subclass registers what it creates for a test (a
/// temp directory, an emulator table) with <see cref="Track{T}"/>, and it is disposed after the test.
/// </summary>
public abstract class ContractTest : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _resources = [];

    protected T Track<T>(T resource) where T : IAsyncDisposable
    {
        _resources.Add(resource);
        return resource;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Newest first: stores go before the storage they live in.
        for (var i = _resources.Count - 1; i >= 0; i--)
        {
            await _resources[i].DisposeAsync();
        }
    }
}
