package dev.saga.events;

/**
 * Events produced by the inventory service: reservation changes on {@link Topics#INVENTORY} and
 * catalog changes on {@link Topics#CATALOG}.
 */
public sealed interface InventoryEvent extends SagaEvent permits InventoryUpdated, ProductChanged {}
