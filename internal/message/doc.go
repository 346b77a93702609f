// Package message holds what Lifeboat must know of an OpenViking session
// message: the request that adds one (AddMessageRequest and
// BatchAddMessageRequest of openviking/server/routers/sessions.py), the
// validation the real server applies before it accepts one, the message as
// the server lists it (Message.to_dict of openviking/message/message.py),
// and the CJK-aware token estimate behind message_count's companion,
// pending_tokens (openviking/utils/token_estimation.py).
//
// The simulator and the write journal both use it, so the journal accepts
// exactly what the primary would accept and counts tokens as it would.
package message
