using Pds.TestSupport;

namespace Pds.Storage.Tests.Azure;

/// <summary>
/// One real Azurite for every Azure contract class (they run one after another); each test
/// works in its own uniquely named tables, containers and queues.
/// </summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
