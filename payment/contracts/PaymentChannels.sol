// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

interface IERC20Minimal {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

/// @title PaymentChannels: unidirectional machine-to-machine payment channels
/// @notice A payer locks a deposit (native coin or an ERC-20) for a payee.
/// Off chain, the channel's signer key issues EIP-712 vouchers carrying a
/// cumulative amount per lane. On chain, close() starts a challenge period of
/// settleDelay seconds with the best voucher per lane (all lanes netted in one
/// transaction); challenge() replaces a lane's voucher with a newer one;
/// collect() pays out after the delay; recover() returns the whole deposit to
/// the payer when the channel expired without anyone closing it.
contract PaymentChannels {
    struct Voucher {
        bytes32 channel;
        uint64 lane;
        uint64 nonce;
        uint256 amount;
        uint64 notBefore;
        uint64 notAfter;
        uint8 conditionHash;
        bytes32 condition;
    }

    struct SignedVoucher {
        Voucher voucher;
        bytes signature;
    }

    struct Channel {
        address payer;
        uint64 expiry;
        address payee;
        uint64 settleDelay;
        address signer;
        uint64 closesAt;
        address token;
        uint256 deposit;
        uint256 owed;
    }

    struct Lane {
        uint64 nonce;
        uint256 amount;
    }

    /// @notice Condition hash function code for SHA-256 (RFC 6962 leaves and nodes).
    uint8 public constant CONDITION_SHA256 = 2;

    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 public constant VOUCHER_TYPEHASH = keccak256(
        "Voucher(bytes32 channel,uint64 lane,uint64 nonce,uint256 amount,uint64 notBefore,uint64 notAfter,uint8 conditionHash,bytes32 condition)"
    );
    bytes32 private constant NAME_HASH = keccak256("iotrust.voucher");
    bytes32 private constant VERSION_HASH = keccak256("1");
    /// @notice closesAt of a channel that was collected or recovered: its id
    /// can never be opened again, so its old vouchers stay worthless.
    uint64 public constant FINISHED = type(uint64).max;
    uint256 private constant HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    mapping(bytes32 => Channel) public channels;
    mapping(bytes32 => mapping(uint64 => Lane)) public lanes;
    /// @notice fulfilled[condition] is true once a reading's inclusion proof was shown.
    mapping(bytes32 => bool) public fulfilled;
    /// @notice Native coin that could not be pushed to its recipient, for withdraw().
    mapping(address => uint256) public credit;

    event Opened(bytes32 indexed id, address indexed payer, address indexed payee, address signer, address token, uint256 deposit, uint64 expiry, uint64 settleDelay);
    event ToppedUp(bytes32 indexed id, uint256 deposit, uint64 expiry);
    event Closing(bytes32 indexed id, address by, uint64 closesAt);
    event LaneUpdated(bytes32 indexed id, uint64 lane, uint64 nonce, uint256 amount, uint256 owed);
    event Collected(bytes32 indexed id, uint256 toPayee, uint256 toPayer);
    event Recovered(bytes32 indexed id, uint256 toPayer);
    event ConditionFulfilled(bytes32 indexed condition, bytes32 root, bytes32 leaf);

    error UnknownChannel(bytes32 id);
    error ChannelExists(bytes32 id);
    error BadDeposit(uint256 value, uint256 amount);
    error BadTiming(uint64 expiry, uint64 settleDelay);
    error NotAllowed(address caller);
    error AlreadyClosing(bytes32 id);
    error NotClosing(bytes32 id);
    error ChallengeOver(uint64 closesAt);
    error SettleTooEarly(uint64 closesAt);
    error Expired(uint64 expiry);
    error NotExpired(uint64 expiry);
    error WrongChannel(bytes32 got);
    error BadSignature(address recovered);
    error StaleVoucher(uint64 lane, uint64 nonce);
    error TimeLocked(uint64 notBefore, uint64 notAfter);
    error ConditionUnmet(bytes32 condition);
    error BadProof();
    error TransferFailed();

    /// @notice Opens a channel funded by msg.sender. For the native coin, token
    /// is address(0) and msg.value must equal amount; for an ERC-20, the
    /// contract must be approved for amount.
    function open(address payee, address signer, address token, uint256 amount, uint64 expiry, uint64 settleDelay, bytes32 salt)
        external
        payable
        returns (bytes32 id)
    {
        if (expiry <= block.timestamp || settleDelay == 0) revert BadTiming(expiry, settleDelay);
        if (payee == address(0) || signer == address(0)) revert NotAllowed(address(0));
        id = channelId(msg.sender, payee, token, salt);
        if (channels[id].payer != address(0)) revert ChannelExists(id);
        channels[id] = Channel({
            payer: msg.sender,
            expiry: expiry,
            payee: payee,
            settleDelay: settleDelay,
            signer: signer,
            closesAt: 0,
            token: token,
            deposit: amount,
            owed: 0
        });
        _pull(token, amount);
        emit Opened(id, msg.sender, payee, signer, token, amount, expiry, settleDelay);
    }

    /// @notice Adds amount to the deposit and optionally moves the expiry later
    /// (newExpiry 0 keeps it). Only the payer, and only before closing.
    function topUp(bytes32 id, uint256 amount, uint64 newExpiry) external payable {
        Channel storage c = _channel(id);
        if (msg.sender != c.payer) revert NotAllowed(msg.sender);
        if (c.closesAt != 0) revert AlreadyClosing(id);
        if (newExpiry != 0) {
            if (newExpiry < c.expiry) revert BadTiming(newExpiry, c.settleDelay);
            c.expiry = newExpiry;
        }
        c.deposit += amount;
        _pull(c.token, amount);
        emit ToppedUp(id, c.deposit, c.expiry);
    }

    /// @notice Starts the challenge period with the best voucher of each lane.
    /// The payee may close until expiry, the payer at any time before
    /// recovering.
    function close(bytes32 id, SignedVoucher[] calldata vouchers) external {
        Channel storage c = _channel(id);
        if (msg.sender != c.payee && msg.sender != c.payer) revert NotAllowed(msg.sender);
        if (c.closesAt != 0) revert AlreadyClosing(id);
        if (msg.sender == c.payee && block.timestamp >= c.expiry) revert Expired(c.expiry);
        uint64 closesAt = uint64(block.timestamp) + c.settleDelay;
        c.closesAt = closesAt;
        _apply(id, c, vouchers);
        emit Closing(id, msg.sender, closesAt);
    }

    /// @notice Replaces lanes' vouchers with newer ones during the challenge
    /// period. Anyone may submit: every voucher carries the signer's signature.
    function challenge(bytes32 id, SignedVoucher[] calldata vouchers) external {
        Channel storage c = _channel(id);
        if (c.closesAt == 0) revert NotClosing(id);
        if (block.timestamp >= c.closesAt) revert ChallengeOver(c.closesAt);
        _apply(id, c, vouchers);
    }

    /// @notice Pays the netted amount (capped at the deposit) to the payee and the rest to the payer
    /// once the challenge period is over. Anyone may call.
    function collect(bytes32 id) external {
        Channel storage c = _channel(id);
        if (c.closesAt == 0) revert NotClosing(id);
        if (block.timestamp < c.closesAt) revert SettleTooEarly(c.closesAt);
        // A payer who signed more across lanes than it deposited pays out the deposit.
        uint256 toPayee = c.owed < c.deposit ? c.owed : c.deposit;
        uint256 toPayer = c.deposit - toPayee;
        address payer = c.payer;
        address payee = c.payee;
        address token = c.token;
        _finish(c);
        _push(token, payee, toPayee);
        _push(token, payer, toPayer);
        emit Collected(id, toPayee, toPayer);
    }

    /// @notice Returns the whole deposit to the payer when the channel expired
    /// and nobody started closing it (the payee vanished).
    function recover(bytes32 id) external {
        Channel storage c = _channel(id);
        if (msg.sender != c.payer) revert NotAllowed(msg.sender);
        if (c.closesAt != 0) revert AlreadyClosing(id);
        if (block.timestamp < c.expiry) revert NotExpired(c.expiry);
        uint256 amount = c.deposit;
        address token = c.token;
        _finish(c);
        _push(token, msg.sender, amount);
        emit Recovered(id, amount);
    }

    /// @notice Proves that reading is leaf index of an RFC 6962 SHA-256 tree of
    /// size with root, and marks condition sha256(root || leafHash) fulfilled.
    function fulfil(bytes32 root, bytes calldata reading, uint256 index, uint256 size, bytes32[] calldata path)
        external
        returns (bytes32 condition)
    {
        bytes32 leaf = sha256(abi.encodePacked(bytes1(0x00), reading));
        if (!_inclusion(leaf, index, size, path, root)) revert BadProof();
        condition = sha256(abi.encodePacked(root, leaf));
        fulfilled[condition] = true;
        emit ConditionFulfilled(condition, root, leaf);
    }

    /// @notice Withdraws native coin credited when a push failed.
    function withdraw() external {
        uint256 amount = credit[msg.sender];
        credit[msg.sender] = 0;
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }

    /// @notice The channel id of a channel opened by payer: the keccak256 of
    /// the ABI encoding of (chainid, this contract, payer, payee, token, salt).
    function channelId(address payer, address payee, address token, bytes32 salt) public view returns (bytes32) {
        return keccak256(abi.encode(block.chainid, address(this), payer, payee, token, salt));
    }

    /// @notice The EIP-712 domain separator of this contract on this chain.
    function domainSeparator() public view returns (bytes32) {
        return keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
    }

    /// @notice The EIP-712 digest the channel's signer signs for v.
    function voucherDigest(Voucher calldata v) public view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(VOUCHER_TYPEHASH, v.channel, v.lane, v.nonce, v.amount, v.notBefore, v.notAfter, v.conditionHash, v.condition)
        );
        return keccak256(abi.encodePacked(hex"1901", domainSeparator(), structHash));
    }

    function _channel(bytes32 id) private view returns (Channel storage c) {
        c = channels[id];
        if (c.payer == address(0) || c.closesAt == FINISHED) revert UnknownChannel(id);
    }

    function _finish(Channel storage c) private {
        c.closesAt = FINISHED;
        c.deposit = 0;
        c.owed = 0;
    }

    // A voucher replaces its lane's stored one when its amount is larger, or
    // equal with a higher nonce. An honest payer's higher nonce never carries a
    // lower amount, so "newer wins"; ordering by amount first means a payer
    // cannot undercut the payee with a fresh higher-nonce, lower-amount voucher.
    function _apply(bytes32 id, Channel storage c, SignedVoucher[] calldata vouchers) private {
        uint256 owed = c.owed;
        for (uint256 i = 0; i < vouchers.length; i++) {
            Voucher calldata v = vouchers[i].voucher;
            if (v.channel != id) revert WrongChannel(v.channel);
            if (block.timestamp < v.notBefore || (v.notAfter != 0 && block.timestamp > v.notAfter)) {
                revert TimeLocked(v.notBefore, v.notAfter);
            }
            if (v.conditionHash != 0 || v.condition != bytes32(0)) {
                if (v.conditionHash != CONDITION_SHA256 || !fulfilled[v.condition]) revert ConditionUnmet(v.condition);
            }
            address who = _recover(voucherDigest(v), vouchers[i].signature);
            if (who != c.signer) revert BadSignature(who);
            Lane storage l = lanes[id][v.lane];
            if (v.amount < l.amount || (v.amount == l.amount && v.nonce <= l.nonce)) revert StaleVoucher(v.lane, v.nonce);
            owed = owed - l.amount + v.amount;
            l.nonce = v.nonce;
            l.amount = v.amount;
            emit LaneUpdated(id, v.lane, v.nonce, v.amount, owed);
        }
        c.owed = owed;
    }

    function _recover(bytes32 digest, bytes calldata sig) private pure returns (address) {
        if (sig.length != 65) return address(0);
        bytes32 r = bytes32(sig[0:32]);
        bytes32 s = bytes32(sig[32:64]);
        uint8 v = uint8(sig[64]);
        if (v < 27) v += 27;
        if (uint256(s) > HALF_N || (v != 27 && v != 28)) return address(0);
        return ecrecover(digest, v, r, s);
    }

    function _pull(address token, uint256 amount) private {
        if (token == address(0)) {
            if (msg.value != amount) revert BadDeposit(msg.value, amount);
        } else {
            if (msg.value != 0) revert BadDeposit(msg.value, amount);
            if (amount != 0 && !IERC20Minimal(token).transferFrom(msg.sender, address(this), amount)) revert TransferFailed();
        }
    }

    function _push(address token, address to, uint256 amount) private {
        if (amount == 0) return;
        if (token == address(0)) {
            (bool ok,) = to.call{value: amount}("");
            if (!ok) credit[to] += amount;
        } else {
            if (!IERC20Minimal(token).transfer(to, amount)) revert TransferFailed();
        }
    }

    // RFC 9162 section 2.1.3.2 inclusion proof verification with SHA-256.
    function _inclusion(bytes32 leaf, uint256 index, uint256 size, bytes32[] calldata path, bytes32 root)
        private
        pure
        returns (bool)
    {
        if (index >= size) return false;
        uint256 fn = index;
        uint256 sn = size - 1;
        bytes32 r = leaf;
        for (uint256 i = 0; i < path.length; i++) {
            if (sn == 0) return false;
            if (fn & 1 == 1 || fn == sn) {
                r = sha256(abi.encodePacked(bytes1(0x01), path[i], r));
                if (fn & 1 == 0) {
                    while (fn & 1 == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = sha256(abi.encodePacked(bytes1(0x01), r, path[i]));
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r == root;
    }
}
