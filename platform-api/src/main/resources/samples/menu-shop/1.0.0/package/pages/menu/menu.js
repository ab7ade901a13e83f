const app = getApp();
Page({
  data: { categories: [], currency: 'CNY', brandColor: '#1677ff' },
  onLoad() {
    const { menuApiBaseUrl, currency, brandColor } = app.settings;
    this.setData({ currency, brandColor });
    my.request({
      url: menuApiBaseUrl + '/categories',
      success: (res) => this.setData({ categories: res.data.categories || [] }),
      fail: () => my.showToast({ content: 'The menu is not available' })
    });
  },
  add(event) {
    app.cart.push(event.target.dataset.dish);
    my.showToast({ content: 'Added' });
  }
});
