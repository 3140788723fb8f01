package mqttgw

// BrokerClients returns how many clients the broker library keeps in its
// own client map (connected ones and sessions it still holds).
func BrokerClients(b *Broker) int { return b.server.Clients.Len() }
