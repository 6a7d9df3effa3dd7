using Pds.Azure.Storage;
using Pds.Core.Crypto;

namespace Pds.Azure.Adapters.Keys;

/// <summary>A key row ready to insert together with the signer it stands for.</summary>
internal sealed record StoredKey(TableEntity Row, ISigner Signer);
