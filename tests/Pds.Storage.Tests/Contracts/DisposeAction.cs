namespace Pds.Storage.Tests.Contracts;

/// <summary>Lets a plain cleanup action be tracked by <see cref="ContractTest"/>.</summary>
public sealed class DisposeAction(Action action) : IAsyncDisposable
{
    public ValueTask DisposeAsync()
    {
        action();
        return ValueTask.CompletedTask;
    }
}
