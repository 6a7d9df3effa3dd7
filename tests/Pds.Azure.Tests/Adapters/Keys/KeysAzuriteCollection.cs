using Pds.TestSupport;

namespace Pds.Azure.Tests.Adapters.Keys;

/// <summary>One Azurite for all key store classes (they run one after another); each test has its own table and fake vault.</summary>
[CollectionDefinition(Name)]
public sealed class KeysAzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "keys-azurite";
}
